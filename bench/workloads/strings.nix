# 50,000 strings with three interpolations each, in a list.
let
  domain = "cluster.local";
  line = i: "item-${toString i}: port=${toString (8000 + i)} host=svc-${toString i}.${domain}";
in
builtins.genList line 50000
