package pages

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/importing"
	"github.com/debrief-sre/debrief/views"
)

// Import serves incident import from a file: upload, preview, progress and confirmation.
type Import struct {
	base
	imports *importTracker
	// asyncRows: imports with more rows run in the background.
	asyncRows int
}

// importTracker follows the background imports of this process. With
// SQLite the import's transaction holds the only write lock, so progress
// lives here; with PostgreSQL it is also written to the import's row, so
// any instance can show it.
type importTracker struct {
	mu       sync.Mutex
	progress map[int64][2]int // id → done, total
	wg       sync.WaitGroup
}

func newImportTracker() *importTracker { return &importTracker{progress: map[int64][2]int{}} }

func (t *importTracker) set(id int64, done, total int) {
	t.mu.Lock()
	t.progress[id] = [2]int{done, total}
	t.mu.Unlock()
}

func (t *importTracker) get(id int64) ([2]int, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	p, ok := t.progress[id]
	return p, ok
}

func (t *importTracker) drop(id int64) {
	t.mu.Lock()
	delete(t.progress, id)
	t.mu.Unlock()
}

func (t *importTracker) wait() { t.wg.Wait() }

// importForm is the upload form, with the built-in mapping to start from.
func (h Import) importPage(c echo.Context, status int, f views.Form) error {
	if f.Get("mapping") == "" {
		f.Set("mapping", importing.DefaultMappingYAML)
	}
	if web.IsHTMX(c) {
		return h.fragment(c, status, views.ImportUploadCard(f))
	}
	return h.Render(c, status, views.ImportUpload(h.Page(c, "Import incidents", "incidents"), f))
}

func (h Import) New(c echo.Context) error {
	return h.importPage(c, http.StatusOK, views.NewForm())
}

// errUploadTooLarge refuses an uploaded file over importing.MaxFileBytes.
var errUploadTooLarge = errors.New("upload too large")

// readUpload reads an uploaded file (nil when none was sent) of at most
// importing.MaxFileBytes, in one buffer of its size.
func readUpload(c echo.Context, field string) (*multipart.FileHeader, []byte, error) {
	fh, err := c.FormFile(field)
	if errors.Is(err, http.ErrMissingFile) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, echo.NewHTTPError(http.StatusBadRequest, "could not read the upload: "+err.Error())
	}
	if fh.Size > importing.MaxFileBytes {
		return fh, nil, errUploadTooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	b := make([]byte, fh.Size)
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, nil, err
	}
	return fh, b, nil
}

// importUpload checks an uploaded file with the mapping (a dry run) and
// shows the preview; nothing is imported yet.
func (h Import) Upload(c echo.Context) error {
	ctx := c.Request().Context()
	f := views.NewForm().Set("mapping", c.FormValue("mapping"))
	_, mappingFile, err := readUpload(c, "mapping_file")
	if errors.Is(err, errUploadTooLarge) {
		return h.importPage(c, http.StatusRequestEntityTooLarge, f.WithErrors(map[string]string{"mapping": "The mapping file is too large."}, nil))
	}
	if err != nil {
		return err
	}
	if len(mappingFile) > 0 {
		f.Set("mapping", string(mappingFile))
	}
	fh, data, err := readUpload(c, "file")
	if errors.Is(err, errUploadTooLarge) {
		msg := fmt.Sprintf("%s is %.1f MB; files of at most %d MB can be imported. Split it into smaller files.",
			filepath.Base(fh.Filename), float64(fh.Size)/(1<<20), importing.MaxFileBytes>>20)
		return h.importPage(c, http.StatusRequestEntityTooLarge, f.WithErrors(map[string]string{"file": msg}, nil))
	}
	if err != nil {
		return err
	}
	v := &models.ValidationError{}
	if fh == nil || len(data) == 0 {
		v.Add("file", "Choose a CSV or JSON file to import.")
	}
	mapping, merr := importing.ParseMapping([]byte(f.Get("mapping")))
	if merr != nil {
		v.Add("mapping", merr.Error())
	}
	if v.Err() != nil {
		return h.importPage(c, http.StatusUnprocessableEntity, f.WithErrors(v.Fields, nil))
	}
	name := filepath.Base(fh.Filename)
	rep, err := importing.Run(ctx, h.DB, web.Actor(c), mapping, data, importing.Options{Filename: name, DryRun: true, PreviewRows: 20})
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, models.ErrUnavailable) {
			return err
		}
		return h.importPage(c, http.StatusUnprocessableEntity, f.WithErrors(map[string]string{"file": name + ": " + err.Error()}, nil))
	}
	job, err := importing.SavePreview(ctx, h.DB, web.Actor(c), name, f.Get("mapping"), data, rep)
	if err != nil {
		return err
	}
	return h.Redirect(c, h.Path("incidents.import.show", job.ID))
}

func (h Import) loadImport(c echo.Context) (*importing.Job, error) {
	id, err := web.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	return importing.GetJob(c.Request().Context(), h.DB, id)
}

func (h Import) importModel(job *importing.Job) views.ImportModel {
	m := importView(job)
	if job.Status == importing.Running {
		if p, ok := h.imports.get(job.ID); ok {
			m.Done, m.Total = p[0], p[1]
		}
	}
	return m
}

// importShow is the preview (before confirming), the progress (while
// running) or the report (after).
func (h Import) Show(c echo.Context) error {
	job, err := h.loadImport(c)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.ImportPage(h.Page(c, "Import "+job.Filename, "incidents"), h.importModel(job)))
}

// importProgress is polled by the progress bar; once the import is over
// it answers the report, which stops the polling.
func (h Import) Progress(c echo.Context) error {
	job, err := h.loadImport(c)
	if err != nil {
		return err
	}
	return h.fragment(c, http.StatusOK, views.ImportStatus(h.importModel(job)))
}

// importConfirm runs a previewed import: small files at once, large ones
// in the background with a progress bar.
func (h Import) Confirm(c echo.Context) error {
	ctx := c.Request().Context()
	job, err := h.loadImport(c)
	if err != nil {
		return err
	}
	mapping, err := importing.ParseMapping([]byte(job.Mapping))
	if err != nil {
		return err
	}
	if err := importing.Start(ctx, h.DB, job.ID); err != nil {
		if importing.IsStarted(err) {
			h.Flash(c, "warn", "This import was already started.")
			return h.Redirect(c, h.Path("incidents.import.show", job.ID))
		}
		return err
	}
	who := web.Actor(c)
	run := func(ctx context.Context, progress func(done, total int)) {
		rep, err := importing.Run(ctx, h.DB, who, mapping, job.Content, importing.Options{Filename: job.Filename, Progress: progress})
		if ferr := importing.Finish(context.WithoutCancel(ctx), h.DB, job.ID, rep, err); ferr != nil {
			h.Log.ErrorContext(ctx, "finish import", "err", ferr, "import", job.ID)
		}
		if err != nil {
			h.Log.WarnContext(ctx, "import failed", "err", err, "import", job.ID)
		}
	}
	if job.TotalRows <= h.asyncRows {
		run(ctx, nil)
		job, err = importing.GetJob(ctx, h.DB, job.ID)
		if err != nil {
			return err
		}
		if rep := job.ParsedReport(); job.Status == importing.Done && rep != nil {
			h.Flash(c, "ok", fmt.Sprintf("Imported %s: %d created, %d updated, %d unchanged.", job.Filename, rep.Created, rep.Updated, rep.Unchanged))
		}
		return h.Redirect(c, h.Path("incidents.import.show", job.ID))
	}
	// Large files: the request returns at once and the page polls.
	h.imports.set(job.ID, 0, job.TotalRows)
	h.imports.wg.Add(1)
	go func() {
		defer h.imports.wg.Done()
		defer h.imports.drop(job.ID)
		bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Hour)
		defer cancel()
		last := time.Time{}
		run(bg, func(done, total int) {
			h.imports.set(job.ID, done, total)
			if models.SQL(h.DB).ListenNotify() && h.Now().Sub(last) > time.Second {
				last = h.Now()
				if err := importing.SetProgress(bg, h.DB, job.ID, done); err != nil {
					h.Log.WarnContext(bg, "import progress", "err", err)
				}
			}
		})
	}()
	return h.Redirect(c, h.Path("incidents.import.show", job.ID))
}
