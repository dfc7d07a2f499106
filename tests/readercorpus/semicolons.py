class Semi:
    def a(self, x):
        assert x; y = 1
        assert x, "msg";
        if not x: raise ValueError("no x"); 
        self.p = 1; self.q = self.make(); z = self.r.s
        return y; 

    def b(self):
        raise RuntimeError;

    def c(self): x = 1; assert x; return x

    def d(self):
        try: self.go()
        except KeyError: raise
        finally: self.end(); 


X = 1; Y = 2
