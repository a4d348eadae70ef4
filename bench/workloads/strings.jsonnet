// 50,000 strings with three interpolations each, in a list.
// Jsonnet has no interpolation syntax: `+` concatenation is its idiomatic equivalent.
local domain = 'cluster.local';
local line(i) = 'item-' + std.toString(i) + ': port=' + std.toString(8000 + i)
                + ' host=svc-' + std.toString(i) + '.' + domain;
[line(i) for i in std.range(0, 49999)]
