module example.com/customer-platform/auth-api

go 1.24
