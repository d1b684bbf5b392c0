package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// HTTPResult is the measurement of one path.
type HTTPResult struct {
	Path        string         `json:"path"`
	Concurrency int            `json:"concurrency"`
	Seconds     float64        `json:"seconds"`
	Requests    int            `json:"requests"`
	Errors      int            `json:"errors"`
	Statuses    map[string]int `json:"statuses"`
	PerSecond   float64        `json:"requests_per_second"`
	Latency     Latency        `json:"latency"`
}

// HTTPReport is the http scenario's result.
type HTTPReport struct {
	Base    string       `json:"base"`
	Results []HTTPResult `json:"results"`
}

func (r HTTPReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "http scenario against %s\n", r.Base)
	fmt.Fprintf(&b, "%-16s %5s %9s %10s %8s %8s %8s %8s %7s\n", "path", "conc", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors")
	for _, x := range r.Results {
		fmt.Fprintf(&b, "%-16s %5d %9d %10.1f %8.2f %8.2f %8.2f %8.2f %7d\n",
			x.Path, x.Concurrency, x.Requests, x.PerSecond, x.Latency.P50, x.Latency.P90, x.Latency.P99, x.Latency.Max, x.Errors)
	}
	return b.String()
}

func runHTTP(ctx context.Context, c *client, o *options) (HTTPReport, error) {
	rep := HTTPReport{Base: o.base}
	for _, p := range o.paths {
		// Warm up: one request, which also shows a wrong path or a
		// signed-out client before the measurement.
		res, _, err := c.do(ctx, http.MethodGet, p, nil, nil)
		if err != nil {
			return rep, err
		}
		if res.StatusCode >= 300 {
			return rep, fmt.Errorf("GET %s answered %d %s (signed in? right path?)", p, res.StatusCode, res.Header.Get("Location"))
		}
		rep.Results = append(rep.Results, measurePath(ctx, c, p, o.concurrency, o.duration, o.maxRequests))
	}
	return rep, nil
}

func measurePath(ctx context.Context, c *client, path string, conc int, d time.Duration, limit int) HTTPResult {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		issued   atomic.Int64
		mu       sync.Mutex
		lat      = make([]time.Duration, 0, 1<<16)
		statuses = map[string]int{}
		errs     int
		wg       sync.WaitGroup
	)
	start := time.Now()
	for range conc {
		wg.Go(func() {
			local := make([]time.Duration, 0, 4096)
			localStatus := map[string]int{}
			localErrs := 0
			for ctx.Err() == nil && issued.Add(1) <= int64(limit) {
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
				t0 := time.Now()
				res, err := c.http.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						localErrs++
						localStatus["error"]++
					}
					continue
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				local = append(local, time.Since(t0))
				localStatus[fmt.Sprint(res.StatusCode)]++
				if res.StatusCode >= 400 {
					localErrs++
				}
			}
			mu.Lock()
			lat = append(lat, local...)
			for k, v := range localStatus {
				statuses[k] += v
			}
			errs += localErrs
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	return HTTPResult{
		Path: path, Concurrency: conc, Seconds: elapsed, Requests: len(lat), Errors: errs, Statuses: statuses,
		PerSecond: float64(len(lat)) / elapsed, Latency: summarise(lat),
	}
}
