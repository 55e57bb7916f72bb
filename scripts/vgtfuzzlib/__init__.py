"""vgtfuzz's Python side: front door, kernel extractor, corpus tools (standard library only)."""
