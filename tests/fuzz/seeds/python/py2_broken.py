def f(:
  x = [[[[((((
	print "py2"
exec "code"
