package app_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// File sizes: every hand-written Go file (tests and generated files
// aside) holds one purpose and stays short. None may pass maxFileLines,
// and half of them stay under medianFileLines, so a file that grows
// splits by what its pieces hold instead of becoming the place where
// everything goes.
const (
	maxFileLines    = 500
	medianFileLines = 150
)

func TestFileSizes(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	type file struct {
		rel   string
		lines int
	}
	var files []file
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			rel, _ := filepath.Rel(root, path)
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor" ||
				name == "node_modules" || rel == "tmp") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || strings.HasSuffix(name, "_templ.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if generated(b) {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		files = append(files, file{filepath.ToSlash(rel), lineCount(b)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no Go files found: the check checks nothing")
	}
	counts := make([]int, 0, len(files))
	for _, f := range files {
		counts = append(counts, f.lines)
		if f.lines > maxFileLines {
			t.Errorf("%s has %d lines (at most %d): split it by what its parts hold", f.rel, f.lines, maxFileLines)
		}
	}
	slices.Sort(counts)
	n := len(counts)
	median := float64(counts[n/2])
	if n%2 == 0 {
		median = float64(counts[n/2-1]+counts[n/2]) / 2
	}
	t.Logf("%d hand-written Go files, median %.1f lines, longest %d", n, median, counts[n-1])
	if median >= medianFileLines {
		t.Errorf("the median hand-written Go file has %.1f lines (want under %d): split the long files", median, medianFileLines)
	}
}

// generated reports whether a Go file says it is generated
// (https://go.dev/s/generatedcode) before its package clause.
func generated(b []byte) bool {
	for line := range bytes.Lines(b) {
		line = bytes.TrimSpace(line)
		if bytes.HasPrefix(line, []byte("package ")) {
			return false
		}
		if bytes.HasPrefix(line, []byte("// Code generated ")) && bytes.HasSuffix(line, []byte(" DO NOT EDIT.")) {
			return true
		}
	}
	return false
}

// lineCount counts lines as wc -l does, plus a last line without a
// newline.
func lineCount(b []byte) int {
	n := bytes.Count(b, []byte("\n"))
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	return n
}
