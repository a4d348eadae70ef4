# 20,000 small records in a list, printed as JSON.
builtins.genList (i: {
  name = "svc-${toString i}";
  port = 8000 + i;
  env = { A = "x"; B = i; };
}) 20000
