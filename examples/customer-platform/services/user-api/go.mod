module example.com/customer-platform/user-api

go 1.24
