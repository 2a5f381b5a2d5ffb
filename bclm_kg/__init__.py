"""bclm-kg: a knowledge graph of the evidence on treating breast cancer liver metastasis."""

__version__ = "0.1.0"
