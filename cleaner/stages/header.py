"""Stage 8, strip header artefacts: navigation and page furniture around the article.

A caption printed twice goes to ``captions`` once; ``Skip to content``,
``Advertisement``, reading-time lines and share bars leave the text.
The rules are in ``rules/header.toml``.
"""

from ..engine import rule_stage

strip_header = rule_stage("strip_header", __doc__)
