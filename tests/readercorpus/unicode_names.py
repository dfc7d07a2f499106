"""Modul für Größen: non-ASCII identifiers and strings (columns in bytes vs characters)."""

ÉCHELLE = 2
π = 3.14159
名前 = "値"
GRÖSSE: int = 4
ÜBER_ALIAS = Dict[Schlüssel, Wert]


class Größe(Basis):
    """Größe — die Klasse."""

    maß: int = 0

    def __init__(self, wert: "Maß", 名前: str = "名前") -> "Größe":
        self.wert = wert
        self.名前 = 名前
        self.größe = Größe.erzeuge(wert)
        self.ü = {"schlüssel": erzeuge_ü(), "ö": wert}
        # Kommentar mit Umlauten: äöü
        assert wert > 0, "Wert muss positiv sein — immer"

    def berechne(self, x: "Größe") -> "Ergebnis":
        """Berechnet: résumé ✓."""
        y = ("ü" + "é") and (self.größe or self.wert).umrechnen(x)
        z = (naïve or café).brew(self.名前.upper())
        return self.ü["schlüssel"].finde(y, z)  # ✓ fertig

    @property
    def 値(self) -> int:
        raise ValueError(f"{self.名前}: ungültig — {self.wert.ü}")


class Emoji:
    def m(self, a, b):
        x = "😀👍🏽"; (a or b).emoji_call(); assert a, "😀 done"
        y = "👩‍👩‍👧" + (self.p or self.q).family()  # 👪
        return x, y
