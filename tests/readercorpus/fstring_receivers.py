"""Receivers written inside f-strings: tokenize (3.11) sees one string token, not its parentheses."""


class F:
    def m(self, d):
        a = f"é{self.items[0].name()}"
        b = ("x" f"{self.rows[1].get()}"
             f"ü{self.cols[2].put()}")
        c = f"""
        é {self.cells[3].see()}
        {d[4].go()}"""
        e = f"{f'{self.inner[5].deep()}'}"
        g = f"{self.w[6].x():{self.p[7].q()}}"
        h = f"{self.dbg[8].run()=}"
        i = f'{self.e.f()}'
        j = f"{'é'}{self.z[9].zz()}"
        k = f"""{
    self.ml[10].call()}"""
        return a, b, c, e, g, h, i, j, k
