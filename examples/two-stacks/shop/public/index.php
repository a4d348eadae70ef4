<?php
// A placeholder for the Laravel shop: answers /health, and says where its
// database is (DB_HOST is wired by dvm from the `db` instance).
if ($_SERVER['REQUEST_URI'] === '/health') {
    echo "ok\n";
    return;
}
echo "shop, on database " . getenv('DB_HOST') . "\n";
