# A 20-field nested template deep-merged into 5,000 instances. Each instance
# overrides fields at depths 1, 2 and 3 and adds a new nested key.
# The deep merge is nixpkgs' lib.recursiveUpdate, written inline.
let
  recursiveUpdate = lhs: rhs:
    builtins.zipAttrsWith (n: values:
      if builtins.length values == 1 then builtins.head values
      else
        let r = builtins.head values; l = builtins.elemAt values 1; in
        if builtins.isAttrs l && builtins.isAttrs r then recursiveUpdate l r else r
    ) [ rhs lhs ];

  mod = a: b: a - (a / b) * b;

  template = {
    name = "default";
    replicas = 1;
    image = { repo = "registry.local/app"; tag = "latest"; pullPolicy = "IfNotPresent"; };
    resources = {
      limits = { cpu = 500; memory = 512; };
      requests = { cpu = 100; memory = 128; };
    };
    ports = { http = 8080; metrics = 9090; };
    env = { LOG_LEVEL = "info"; REGION = "eu-west"; };
    health = { path = "/healthz"; interval = 10; timeout = 2; retries = 3; };
    labels = { team = "core"; tier = "backend"; };
    restart = "always";
    user = "app";
    workdir = "/srv";
    command = [ "serve" "--config" "/etc/app.json" ];
    volumes = { data = { mount = "/data"; size = 10; readOnly = false; }; };
    network = { mode = "bridge"; dns = { primary = "1.1.1.1"; secondary = "8.8.8.8"; }; };
    logging = { driver = "json"; options = { maxSize = 10; maxFiles = 3; }; };
    enabled = true;
    priority = 0;
    debug = false;
    timeouts = { start = 30; stop = 10; };
    annotations = { owner = "platform"; };
  };

  instance = i: recursiveUpdate template {
    name = "svc-${toString i}";
    replicas = 1 + mod i 3;
    image.tag = "v${toString i}";
    resources.limits.memory = 512 + i;
    network.dns.primary = "10.0.0.${toString (mod i 250)}";
    env.INDEX = toString i;
    volumes.data.size = 10 + mod i 7;
  };
in
builtins.genList instance 5000
