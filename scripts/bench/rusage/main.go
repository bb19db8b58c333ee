//go:build unix

// Command rusage runs a command and, once it has exited, appends one line to
// a file: the command's peak resident set size in KiB (on Linux), then its
// user and its system CPU time in microseconds, as wait4 reports them.
//
//	rusage -o FILE COMMAND [ARG...]
//
// scripts/bench.sh starts every provider plugin through it, so that the CPU
// time and memory of the plugin processes are measured apart from Terraform's.
// It ignores SIGINT and SIGQUIT while it waits, as GNU time does (Terraform's
// plugins ignore them too), and exits with the command's status.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("rusage: ")
	out := flag.String("o", "/dev/null", "append the measurements to this file")
	flag.Parse()
	if flag.NArg() == 0 {
		log.Fatal("usage: rusage -o FILE COMMAND [ARG...]")
	}
	cmd := exec.Command(flag.Arg(0), flag.Args()[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	signal.Ignore(syscall.SIGINT, syscall.SIGQUIT)
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	_ = cmd.Wait() // the status is in ProcessState
	st := cmd.ProcessState
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
		line := fmt.Sprintf("%d %d %d\n", ru.Maxrss, ru.Utime.Nano()/1e3, ru.Stime.Nano()/1e3)
		// One write to a file opened for appending, so that lines of
		// plugins that exit at the same time do not mix.
		if f, err := os.OpenFile(*out, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err == nil {
			_, _ = f.WriteString(line)
			_ = f.Close()
		}
	}
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		os.Exit(128 + int(ws.Signal()))
	}
	os.Exit(st.ExitCode())
}
