"""Stage 7, split metadata: what is metadata leaves the text for its field.

The glued date line (``date 2020-01-03 The United States...``) gives ``date``;
bylines give ``authors``; ``Published ...``/``Updated ...`` lines give the date
when nothing better does (the rules' order is their priority); a headline at
the head gives ``title``. Wire datelines (``BAGHDAD (AP) —``) stay in the body.
The rules are in ``rules/metadata.toml``.
"""

from ..engine import rule_stage

split_metadata = rule_stage("split_metadata", __doc__)
