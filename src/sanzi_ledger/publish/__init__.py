"""Publication: the disclosure document and its renderers (HTML, XLSX, CSV, PDF, static site).

Renderers read a `Document` and nothing else: no store, no domain rules.
"""
