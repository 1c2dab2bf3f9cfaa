"""jatsflow: a report PDF in, archival JATS and accessible reading formats out."""

__version__ = "0.1.0"
