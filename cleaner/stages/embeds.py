"""Stage 10, social embeds: posts quoted from social networks.

A paragraph ending in a tweet's signature (``— Name (@handle) Month D, YYYY``)
becomes an ``embeds`` entry and leaves the body; ``pic.twitter.com/...``
residue goes too. The rules are in ``rules/embeds.toml``.
"""

from ..engine import rule_stage

social_embeds = rule_stage("social_embeds", __doc__)
