package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/cmd/debrief/demo"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestInsightsOnDemoData: a manager signs in to the demo organisation,
// opens every insight page (and their options), and on each one every
// chart is drawn, with the same numbers as the table beside it; no page
// breaks the CSP, each passes axe, and each is screenshotted. Then the
// filters, the time zone and a print preview.
func TestInsightsOnDemoData(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		db := dbtest.New(t, dialect)
		if _, err := demo.Seed(context.Background(), db, demo.Options{Password: apptest.Password}); err != nil {
			t.Fatal(err)
		}
		testInsightsOnDemoData(t, apptest.New(t, db))
	})
}

// chartCheck compares a drawn chart (the option ECharts holds) with the
// table beside it, row by row, and returns the differences.
const chartCheck = `(id) => {
  const el = document.getElementById(id);
  const chart = echarts.getInstanceByDom(el);
  if (!chart) return ["no chart instance"];
  const o = chart.getOption();
  const table = document.getElementById(el.dataset.table);
  const rows = [...table.querySelectorAll("tbody tr")];
  const out = [];
  const v = (row, series) => {
    const td = row.querySelector('td[data-series="' + series + '"]');
    return td && td.dataset.v !== "" ? Number(td.dataset.v) : null;
  };
  const same = (a, b, what) => {
    const ok = (a === null || a === undefined || a === "-") ? (b === null || b === undefined || b === "-") : Math.abs(Number(a) - Number(b)) < 1e-6;
    if (!ok) out.push(what + ": chart " + a + ", table " + b);
  };
  const floor = (x) => x === null ? null : Math.max(1, x);
  const head = (r) => r.querySelector("th").textContent.trim();
  switch (el.dataset.chart) {
  case "over-time":
  case "weekdays":
  case "histogram": {
    const cats = o.xAxis[0].data;
    if (cats.length !== rows.length) out.push(cats.length + " categories, " + rows.length + " rows");
    rows.forEach((r, i) => {
      if (el.dataset.chart !== "histogram" && head(r) !== String(cats[i])) out.push("row " + i + ": " + head(r) + " vs " + cats[i]);
      o.series.forEach((s) => {
        const series = el.dataset.chart === "over-time" ? s.name : s.id;
        same(s.data[i], v(r, series), head(r) + "/" + series);
      });
    });
    break;
  }
  case "heatmap": {
    const hours = o.xAxis[0].data;
    o.series[0].data.forEach((d) => {
      const r = rows[d[1]];
      same(d[2], v(r, hours[d[0]]), head(r) + " " + hours[d[0]]);
    });
    if (o.series[0].data.length !== 168) out.push(o.series[0].data.length + " cells");
    break;
  }
  case "box": {
    const keys = ["min", "q1", "median", "q3", "max"];
    rows.forEach((r, i) => {
      const box = o.series[0].data[i];
      const b = Array.isArray(box) ? box : (box && box.value) || [];
      keys.forEach((k, j) => same(b.length ? b[j] : null, floor(v(r, k)), head(r) + "/" + k));
      const p = o.series[1].data[i];
      same(p === undefined ? null : (Array.isArray(p) ? p[p.length - 1] : p), floor(v(r, "p90")), head(r) + "/p90");
    });
    break;
  }
  case "trend": {
    const cats = o.xAxis[0].data;
    if (cats.length !== rows.length) out.push(cats.length + " months, " + rows.length + " rows");
    rows.forEach((r, i) => {
      if (r.dataset.key !== cats[i]) out.push("month " + r.dataset.key + " vs " + cats[i]);
      same(o.series[0].data[i], floor(v(r, "median")), r.dataset.key + "/median");
      same(o.series[1].data[i], floor(v(r, "p90")), r.dataset.key + "/p90");
    });
    break;
  }
  case "components": {
    const cats = o.yAxis[0].data;
    if (cats.length !== rows.length) out.push(cats.length + " bars, " + rows.length + " rows");
    rows.forEach((r, i) => {
      if (head(r) !== cats[i]) out.push("row " + i + ": " + head(r) + " vs " + cats[i]);
      same(o.series[0].data[i], v(r, o.series[0].id), head(r));
    });
    break;
  }
  default:
    out.push("unknown chart " + el.dataset.chart);
  }
  if (!el.querySelector("svg")) out.push("nothing drawn");
  return out;
}`

func (p *Page) checkCharts(page string) int {
	p.t.Helper()
	p.WaitUntil(`[...document.querySelectorAll("[data-chart]")].every(el => el.dataset.rendered)`)
	ids := p.Eval(`JSON.stringify([...document.querySelectorAll("[data-chart]")].map(el => el.id))`)
	var list []string
	if err := json.Unmarshal([]byte(ids), &list); err != nil {
		p.t.Fatal(err)
	}
	for _, id := range list {
		if st := p.Eval(fmt.Sprintf(`document.getElementById(%q).dataset.rendered`, id)); st != "true" {
			p.t.Errorf("%s: chart %s: %s %s", page, id, st, p.Eval(fmt.Sprintf(`document.getElementById(%q).dataset.error || ""`, id)))
			continue
		}
		raw := p.Eval(fmt.Sprintf(`JSON.stringify((%s)(%q))`, chartCheck, id))
		var diffs []string
		if err := json.Unmarshal([]byte(raw), &diffs); err != nil {
			p.t.Fatalf("%s: %s: %v (%s)", page, id, err, raw)
		}
		for _, d := range diffs {
			p.t.Errorf("%s: chart %s differs from its table: %s", page, id, d)
		}
	}
	if n := p.Eval(`document.body.dataset.cspViolations || "0"`); n != "0" {
		p.t.Errorf("%s: %s CSP violations", page, n)
	}
	return len(list)
}

func testInsightsOnDemoData(t *testing.T, env *apptest.Env) {
	b := Start(t, env)
	p := b.NewPage("amara")
	amara, err := models.GetUserByEmail(context.Background(), env.DB, "amara@northwind.example")
	if err != nil {
		t.Fatal(err)
	}
	p.SignIn(amara)
	p.Go("/")
	p.ClickAndWait(`nav[aria-label="Main"] a[href="/insights"]`)
	total := 0
	for _, pg := range []struct {
		name, path string
		charts     int
	}{
		{"overview", "/insights", 1},
		{"over-time-month", "/insights/over-time", 1},
		{"over-time-week", "/insights/over-time?interval=week&from=" + time.Now().AddDate(-1, 0, 0).Format("2006-01-02"), 1},
		{"weekdays", "/insights/weekdays", 1},
		{"weekdays-only", "/insights/weekdays?weekdays_only=true", 1},
		{"heatmap", "/insights/heatmap", 1},
		{"durations", "/insights/durations", 3},
		{"durations-detect", "/insights/durations?metric=time_to_detect", 3},
		{"components", "/insights/components", 2},
		{"today", "/insights/today", 0},
	} {
		p.Go(pg.path)
		p.WaitFor(`[data-testid="scope-note"]`)
		if n := p.checkCharts(pg.name); n != pg.charts {
			t.Errorf("%s: %d charts, want %d", pg.name, n, pg.charts)
		}
		total += pg.charts
		p.Shot(pg.name)
		p.Axe()
	}
	if total < 14 {
		t.Fatalf("only %d charts checked", total)
	}

	// No chart card clips its footnote: each note under a chart's table is
	// inside the visible part of its scrolling box.
	p.Go("/insights/components")
	p.WaitFor(`[data-chart][data-series="by_impact"][data-rendered="true"]`)
	if clipped := p.Eval(`[...document.querySelectorAll(".chart-table .table-note")].filter(n => {
		const box = n.closest(".chart-table").getBoundingClientRect(), r = n.getBoundingClientRect();
		return r.bottom > box.bottom + 1 || r.top < box.top - 1;
	}).map(n => n.textContent.slice(0, 40)).join(" | ")`); clipped != "" {
		t.Errorf("clipped chart footnotes: %s", clipped)
	}

	// The impact-time axis counts in round hours or days ("12 h", "2 d"),
	// not in clock readings such as "1d 3h".
	p.Go("/insights/components")
	p.WaitFor(`[data-chart][data-series="by_impact"][data-rendered="true"]`)
	if n := p.Eval(`String([...document.querySelectorAll('[data-series="by_impact"] svg text')].filter(e => /^\d+ (h|d)$/.test(e.textContent.trim())).length)`); n == "0" || n == "1" {
		t.Errorf("impact axis: %s round-unit labels; texts: %s", n, p.Eval(`[...document.querySelectorAll('[data-series="by_impact"] svg text')].map(e => e.textContent).join(" | ")`))
	}

	// Follow-through: the dashboard's figures for the demo organisation;
	// its weekly trend chart has the numbers of its table.
	p.Go("/insights")
	p.ClickAndWait(`[data-testid="tab-follow_through"]`)
	p.WaitFor(`[data-testid="trend-chart"][data-rendered="true"]`)
	diffs := p.Eval(`JSON.stringify((() => {
  const el = document.querySelector('[data-testid="trend-chart"]');
  const o = echarts.getInstanceByDom(el).getOption();
  const rows = [...document.querySelectorAll('[data-testid="trend-table"] tbody tr')];
  const out = [];
  if (o.xAxis[0].data.length !== rows.length) out.push(o.xAxis[0].data.length + " weeks, " + rows.length + " rows");
  rows.forEach((r, i) => {
    const cells = [...r.querySelectorAll("td")].map((td) => Number(td.textContent.trim()));
    o.series.forEach((s, j) => { if (s.data[i] !== cells[j]) out.push(r.querySelector("th").textContent + "/" + s.name + ": chart " + s.data[i] + ", table " + cells[j]); });
  });
  if (!el.querySelector("svg")) out.push("nothing drawn");
  return out;
})())`)
	if diffs != "[]" {
		t.Errorf("follow-through trend chart differs from its table: %s", diffs)
	}
	if open := p.Text(`[data-testid="fig-open"] .value`); open == "" || open == "0" {
		t.Errorf("follow-through on demo data: %q open items", open)
	}
	if n := p.Eval(`document.body.dataset.cspViolations || "0"`); n != "0" {
		t.Errorf("follow-through: %s CSP violations", n)
	}
	p.Shot("follow-through")
	p.Axe()

	// The weekday finding names n and p, and its words follow p.
	p.Go("/insights/weekdays")
	sentence := p.Text(`[data-testid="weekday-sentence"]`)
	pv := p.Text(`[data-testid="test-p"]`)
	if !strings.Contains(sentence, "n = ") || !strings.Contains(sentence, "p ") {
		t.Fatalf("sentence without n or p: %q", sentence)
	}
	if strings.Contains(sentence, "not significantly different") == strings.Contains(sentence, "unlikely to be chance") {
		t.Fatalf("sentence says both or neither: %q (p %s)", sentence, pv)
	}

	// Filters through the form: team and time zone; the charts follow.
	p.Go("/insights/heatmap")
	p.Select(`#f-team`, "payments")
	p.Select(`#f-tz`, "America/New_York")
	p.ClickAndWait(`[data-testid="apply-filters"]`)
	if loc := p.Location(); !strings.Contains(loc, "team=payments") || !strings.Contains(loc, "tz=America%2FNew_York") {
		t.Fatalf("filters not in the URL: %s", loc)
	}
	p.WaitText(`[data-testid="scope-note"]`, "America/New_York")
	p.checkCharts("heatmap-filtered")
	if src := p.Eval(`document.querySelector("[data-chart]").dataset.src`); !strings.Contains(src, "team=payments") || !strings.Contains(src, "tz=America%2FNew_York") {
		t.Fatalf("chart data ignores the filters: %s", src)
	}
	p.Shot("heatmap-payments-new-york")
	// Tabs keep the filters.
	p.ClickAndWait(`[data-testid="tab-durations"]`)
	if loc := p.Location(); !strings.Contains(loc, "team=payments") {
		t.Fatalf("tab lost the filters: %s", loc)
	}
	p.checkCharts("durations-filtered")

	// Today in incident history lists what happened on this day.
	p.Go("/insights/today")
	if n := p.Count(`[data-testid="history-item"]`); n < 2 {
		t.Fatalf("today in history: %d incidents", n)
	}
	// Dark mode and print: the charts redraw and stay whole.
	p.emulateDark()
	p.Go("/insights")
	p.checkCharts("overview-dark")
	p.Shot("overview-dark")
	p.emulatePrint()
	p.Go("/insights/weekdays")
	p.checkCharts("weekdays-print")
	p.Shot("weekdays-print")
}

// emulateDark makes the page prefer a dark colour scheme.
func (p *Page) emulateDark() {
	p.t.Helper()
	p.do("emulate dark mode", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}, {Name: "prefers-reduced-motion", Value: "reduce"}}})
		return err
	}))
}

// emulatePrint renders the page as for printing (light, print media).
func (p *Page) emulatePrint() {
	p.t.Helper()
	p.do("emulate print", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
}
