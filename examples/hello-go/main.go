// A minimal web process: the Go buildpack builds it into bin/hello-go, its default web process.
package main

import (
	"fmt"
	"net/http"
	"os"
	"runtime"
)

func main() {
	host := os.Getenv("HOST")
	if host == "" {
		host = "127.0.0.1"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "Hello from Go %s\n", runtime.Version())
	})
	if err := http.ListenAndServe(host+":"+os.Getenv("PORT"), nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
