"""TEMPORARY (replaced by the narratives branch before landing)."""


def narrative_section(ctx, key):
    return None
