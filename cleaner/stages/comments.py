"""Stage 9, strip comment residue: comment forms, their prompts and counters.

Whole lines only (``Leave a Reply``, ``Please enter your comment!``,
``12 Comments``...): prose that mentions comments stays. The rules are in
``rules/comments.toml``.
"""

from ..engine import rule_stage

strip_comments = rule_stage("strip_comments", __doc__)
