class Seps:
    def m(self):
        s = "line separatorandnext"
        # comment with   a separator and  vertical tab
        t = self.a.b(s)
        return t
SEP = " "
