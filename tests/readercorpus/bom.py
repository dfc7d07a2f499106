"""A module whose file starts with a byte order mark."""
import os

SIZE = 16

class Marked:
    def m(self):
        # é after the BOM
        return self.a.b("é")
