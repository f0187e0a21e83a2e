"""The records of sharing and joint work in clusters (S2 二(三))."""
