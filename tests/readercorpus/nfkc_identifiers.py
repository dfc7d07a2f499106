"""Identifiers that Python normalizes with NFKC (stdlib ast reports the normalized name)."""

ﬁle_LIMIT = 1
ＷＩＤＥ = 2


class Ｆｕｌｌ:
    def ﬁnd(self, ｘ):
        self.ﬁeld = ｘ
        return self.ﬁeld.ｖalue()
