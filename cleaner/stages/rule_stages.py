"""Stages 7 to 10: the rule stages, which do nothing but apply their rules, in order
(`cleaner.apply.apply_stage`), in rounds (`cleaner.pipeline.ROUNDS`). Their rules
are in ``rules/*.toml``; each stage's own description below is what ``clean``'s
documentation shows for it.
"""

from ..apply import rule_stage

split_metadata = rule_stage("split_metadata", """Stage 7, split metadata: what is metadata leaves the text for its field.

The glued date line (``date 2020-01-03 The United States...``) gives ``date``;
bylines give ``authors``; ``Published ...``/``Updated ...`` lines give the date
when nothing better does (the rules' order is their priority); a headline at
the head gives ``title``. Wire datelines (``BAGHDAD (AP) —``) stay in the body.
The rules are in ``rules/metadata.toml``.
""")

strip_header = rule_stage("strip_header", """Stage 8, strip header artefacts: navigation and page furniture around the article.

A caption printed twice goes to ``captions`` once; ``Skip to content``,
``Advertisement``, reading-time lines and share bars leave the text.
The rules are in ``rules/header.toml``.
""")

strip_comments = rule_stage("strip_comments", """Stage 9, strip comment residue: comment forms, their prompts and counters.

Whole lines only (``Leave a Reply``, ``Please enter your comment!``,
``12 Comments``...): prose that mentions comments stays. The rules are in
``rules/comments.toml``.
""")

social_embeds = rule_stage("social_embeds", """Stage 10, social embeds: posts quoted from social networks.

A paragraph ending in a tweet's signature (``— Name (@handle) Month D, YYYY``)
becomes an ``embeds`` entry and leaves the body; ``pic.twitter.com/...``
residue goes too. The rules are in ``rules/embeds.toml``.
""")
