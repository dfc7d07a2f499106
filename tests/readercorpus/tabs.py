class Tabbed:
	def a(self):
		x = self.p.q(	1,	2)
		# tabbed comment
		if x:
			self.y	= x	# after tab
		return	x

	def b(self,	a,
			b):
		assert	a,	"tab	in	string"
		return a



def tabbed_function(a,
		b):
	if a:
		return	a.x(	b)
	return None
