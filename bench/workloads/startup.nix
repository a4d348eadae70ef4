# Startup baseline: the smallest program, to show each tool's fixed cost.
1
