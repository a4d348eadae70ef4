// 20,000 small records in a list, printed as JSON.
[
  {
    name: 'svc-' + std.toString(i),
    port: 8000 + i,
    env: { A: 'x', B: i },
  }
  for i in std.range(0, 19999)
]
