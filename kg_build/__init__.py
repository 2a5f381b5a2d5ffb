"""kg_build"""
