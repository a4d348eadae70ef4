// A placeholder for user-api of the customer-platform example: answers
// /health, and reports which database it was wired to (PLATFORM_DB_HOST
// comes from the platform-db instance through uses).
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("/health", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, "user-api, on database %s\n", os.Getenv("PLATFORM_DB_HOST"))
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
