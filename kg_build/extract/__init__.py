"""Rule-based extraction of draft evidence from a plain-text review (``bclm-kg extract``).

The extractor reads one review and the ontology, nothing else: it never imports the curated
evidence (``kg_build.evidence``), so its drafts cannot echo what curators wrote. Only
``evaluate`` (scoring) and ``curate`` (diff and accept) read curated files.
"""
