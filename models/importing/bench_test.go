package importing_test

import (
	"bytes"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"testing"
	"time"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
	"github.com/debrief-sre/debrief/models/importing"
)

// maxSizeCSV is an export-format CSV of just under MaxFileBytes (and
// under MaxRows rows), every row a new incident with components and tags.
func maxSizeCSV() ([]byte, int) {
	var b bytes.Buffer
	b.WriteString("key,title,severity,status,started_at,resolved_at,components,tags,impact\n")
	rows := 0
	for rows < importing.MaxRows {
		var line bytes.Buffer
		fmt.Fprintf(&line, "EXT-%06d,Checkout latency after deploy %d,,resolved,2024-01-%02dT10:00:00Z,2024-01-%02dT11:30:00Z,payments;api-%d,deploy;latency,Customers saw slow pages for %d minutes\n",
			rows, rows, rows%28+1, rows%28+1, rows%5, rows%90)
		if b.Len()+line.Len() > importing.MaxFileBytes {
			break
		}
		b.Write(line.Bytes())
		rows++
	}
	return b.Bytes(), rows
}

// BenchmarkImportMaxSize imports (and, first, previews) a maximum-size
// file into SQLite and reports the peak heap in use above the heap before
// the import ("peak-MB"), sampled every 2 ms. docs/performance.md, "Import
// memory", records the figures.
func BenchmarkImportMaxSize(b *testing.B) {
	data, rows := maxSizeCSV()
	b.Logf("file: %.1f MiB, %d rows", float64(len(data))/(1<<20), rows)
	m, err := importing.ParseMapping([]byte(importing.DefaultMappingYAML))
	if err != nil {
		b.Fatal(err)
	}
	for _, dry := range []bool{true, false} {
		name := "import"
		if dry {
			name = "preview"
		}
		b.Run(name, func(b *testing.B) {
			var peak float64
			for range b.N {
				b.StopTimer()
				db := dbtest.New(b, models.DialectSQLite)
				runtime.GC()
				debug.FreeOSMemory()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				idle := ms.HeapInuse
				var top atomic.Uint64
				stop := make(chan struct{})
				done := make(chan struct{})
				go func() {
					defer close(done)
					t := time.NewTicker(2 * time.Millisecond)
					defer t.Stop()
					var s runtime.MemStats
					for {
						select {
						case <-stop:
							return
						case <-t.C:
							runtime.ReadMemStats(&s)
							if s.HeapInuse > top.Load() {
								top.Store(s.HeapInuse)
							}
						}
					}
				}()
				b.StartTimer()
				rep, err := importing.Run(ctx, db, models.SystemActor("bench"), m, data, importing.Options{Filename: "max.csv", DryRun: dry})
				b.StopTimer()
				close(stop)
				<-done
				if err != nil {
					b.Fatal(err)
				}
				if rep.Rejected != 0 || rep.Created != rows {
					b.Fatalf("created %d of %d, rejected %d: %v", rep.Created, rows, rep.Rejected, rep.Errors)
				}
				peak = max(peak, float64(top.Load()-min(idle, top.Load()))/(1<<20))
			}
			b.ReportMetric(peak, "peak-MB")
		})
	}
}
