// Insights: draws each chart from the JSON its element links to
// (data-src, an /api/v1/insights endpoint) with the vendored ECharts.
// Loaded only on insight pages, after echarts.min.js. No inline script or
// style anywhere: colours come from the stylesheet's custom properties, so
// charts follow light and dark mode; animation is off when the system asks
// for reduced motion. The table beside every chart has the same numbers
// for screen readers, printing and people without JavaScript.
(function () {
  "use strict";

  // Count CSP violations where tests can see them.
  document.addEventListener("securitypolicyviolation", function () {
    var b = document.body;
    b.setAttribute("data-csp-violations", String((+b.getAttribute("data-csp-violations") || 0) + 1));
  });

  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-print]")) {
      window.print();
    }
  });

  if (!window.echarts) return;
  var echarts = window.echarts;
  var dark = window.matchMedia("(prefers-color-scheme: dark)");
  var reduce = window.matchMedia("(prefers-reduced-motion: reduce)");

  function css(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function theme() {
    var sev = {};
    ["red", "orange", "amber", "green", "teal", "blue", "purple", "slate"].forEach(function (c) {
      sev[c] = css("--chart-" + c);
    });
    return {
      text: css("--text"), muted: css("--muted"), grid: css("--border"), surface: css("--surface"),
      brand: css("--brand"), accent: css("--chart-accent"), heatLow: css("--chart-heat-low"), heatHigh: css("--chart-heat-high"),
      sev: sev, font: css("--font")
    };
  }

  // Durations read like the server writes them: 45s, 4m 30s, 2h 05m, 3d 4h.
  function duration(sec) {
    if (sec === null || sec === undefined || isNaN(sec)) return "—";
    var s = Math.round(Math.abs(sec));
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    if (s < 60) return s + "s";
    if (s < 3600) return Math.floor(s / 60) + "m " + pad(s % 60) + "s";
    if (s < 86400) return Math.floor(s / 3600) + "h " + pad(Math.floor(s / 60) % 60) + "m";
    return Math.floor(s / 86400) + "d " + (Math.floor(s / 3600) % 24) + "h";
  }

  function axis(t, extra) {
    var a = {
      axisLine: { lineStyle: { color: t.grid } },
      axisTick: { lineStyle: { color: t.grid } },
      axisLabel: { color: t.muted },
      splitLine: { lineStyle: { color: t.grid, opacity: 0.6 } },
      nameTextStyle: { color: t.muted }
    };
    for (var k in extra) a[k] = extra[k];
    return a;
  }

  function base(t) {
    return {
      backgroundColor: "transparent",
      textStyle: { color: t.text, fontFamily: t.font },
      grid: { left: 8, right: 16, top: 36, bottom: 8, outerBoundsMode: "same", outerBoundsContain: "axisLabel" },
      legend: { top: 0, textStyle: { color: t.text }, inactiveColor: t.grid },
      tooltip: {
        trigger: "axis", backgroundColor: t.surface, borderColor: t.grid, textStyle: { color: t.text },
        axisPointer: { type: "shadow" }
      },
      animation: !reduce.matches
    };
  }

  // A floor for log axes: a duration of 0 s is drawn at 1 s (the table
  // has the true value).
  function logv(v) { return v === null || v === undefined ? null : Math.max(1, v); }

  // Round durations for axis labels: 10 s, 1 min, 6 h, 7 d.
  function stepLabel(v) {
    if (v >= 86400) return Math.round(v / 86400) + " d";
    if (v >= 3600) return Math.round(v / 3600) + " h";
    if (v >= 60) return Math.round(v / 60) + " min";
    return Math.round(v) + " s";
  }

  // A log axis of durations labelled at the steps people think in.
  var steps = [1, 10, 60, 600, 3600, 6 * 3600, 86400, 7 * 86400, 30 * 86400, 365 * 86400];
  function durationAxis(t, values) {
    var max = 1;
    values.forEach(function (v) { if (v !== null && v > max) max = v; });
    var ticks = steps.filter(function (x) { return x <= max * 1.5; });
    if (ticks[ticks.length - 1] < max) ticks.push(steps[ticks.length] || max);
    return axis(t, {
      type: "log", logBase: 10, min: 1, max: ticks[ticks.length - 1],
      axisLabel: { color: t.muted, formatter: stepLabel, customValues: ticks },
      axisTick: { customValues: ticks, lineStyle: { color: t.grid } },
      splitLine: { show: false }
    });
  }

  // A linear axis of durations in one round unit: hours up to two days,
  // days beyond, with ticks at 1, 2, 3, 6 or 12 h or 1, 2, 5, 7, 14, 30 d.
  function linearDurationAxis(t, values) {
    var max = 0;
    values.forEach(function (v) { if (v !== null && v > max) max = v; });
    var unit = max > 2 * 86400 ? 86400 : 3600;
    var name = unit === 86400 ? " d" : " h";
    var choices = unit === 86400 ? [1, 2, 5, 7, 14, 30, 60, 90, 180, 365] : [1, 2, 3, 6, 12];
    var step = choices[choices.length - 1];
    for (var i = 0; i < choices.length; i++) {
      if (max / (choices[i] * unit) <= 5) { step = choices[i]; break; }
    }
    var interval = step * unit;
    return axis(t, {
      type: "value", min: 0, interval: interval, max: Math.max(interval, Math.ceil(max / interval) * interval),
      axisLabel: { color: t.muted, formatter: function (v) { return Math.round(v / unit) + name; } }
    });
  }

  var builders = {
    "over-time": function (d, t) {
      var o = base(t);
      o.xAxis = axis(t, { type: "category", data: d.buckets.map(function (b) { return b.label; }) });
      o.yAxis = axis(t, { type: "value", minInterval: 1, name: "incidents" });
      o.dataZoom = d.buckets.length > 60 ? [{ type: "inside" }] : [];
      o.series = d.severities.map(function (s, i) {
        return {
          id: s.name, name: s.name, type: "bar", stack: "all", barMaxWidth: 36,
          itemStyle: { color: t.sev[s.color] || t.sev.slate },
          data: d.buckets.map(function (b) { return b.counts[i].count; })
        };
      });
      return o;
    },
    weekdays: function (d, t) {
      var o = base(t);
      o.xAxis = axis(t, { type: "category", data: d.days.map(function (x) { return x.weekday; }),
        axisLabel: { color: t.muted, interval: 0, formatter: function (v) { return v.slice(0, 3); } } });
      o.yAxis = axis(t, { type: "value", minInterval: 1, name: "incidents" });
      o.series = [
        { id: "count", name: "Incidents", type: "bar", barMaxWidth: 48, itemStyle: { color: t.brand },
          data: d.days.map(function (x) { return x.count; }) },
        { id: "expected", name: "Expected if every day were alike", type: "line", symbol: "none",
          lineStyle: { type: "dashed", color: t.accent, width: 2 }, itemStyle: { color: t.accent },
          data: d.days.map(function (x) { return x.expected; }) }
      ];
      return o;
    },
    heatmap: function (d, t) {
      var o = base(t);
      var days = [], hours = [];
      for (var h = 0; h < 24; h++) hours.push((h < 10 ? "0" : "") + h);
      d.cells.forEach(function (c) { if (days.indexOf(c.weekday) < 0) days.push(c.weekday); });
      o.legend = { show: false };
      o.tooltip = { backgroundColor: t.surface, borderColor: t.grid, textStyle: { color: t.text },
        formatter: function (p) { return days[p.value[1]] + " " + hours[p.value[0]] + ":00 — " + p.value[2] + " incidents"; } };
      o.grid = { left: 8, right: 16, top: 8, bottom: 56, outerBoundsMode: "same", outerBoundsContain: "axisLabel" };
      o.xAxis = axis(t, { type: "category", data: hours, splitArea: { show: false } });
      o.yAxis = axis(t, { type: "category", data: days.map(function (x) { return x.slice(0, 3); }), inverse: true });
      o.visualMap = { min: 0, max: Math.max(1, d.max), calculable: false, orient: "horizontal", left: "center", bottom: 0,
        itemHeight: 160, text: [String(Math.max(1, d.max)) + " incidents", "0"], textStyle: { color: t.muted },
        inRange: { color: [t.heatLow, t.heatHigh] } };
      o.series = [{ id: "cells", name: "Incidents", type: "heatmap",
        itemStyle: { borderColor: t.surface, borderWidth: 1 },
        data: d.cells.map(function (c) { return [c.hour, days.indexOf(c.weekday), c.count]; }) }];
      return o;
    },
    box: function (d, t) {
      var o = base(t);
      o.tooltip = { trigger: "item", backgroundColor: t.surface, borderColor: t.grid, textStyle: { color: t.text },
        formatter: function (p) {
          var m = d.metrics[p.dataIndex];
          return m.name + " (n = " + m.count + ")<br>median " + duration(m.median_seconds) + " · p90 " + duration(m.p90_seconds) +
            "<br>quartiles " + duration(m.q1_seconds) + " – " + duration(m.q3_seconds);
        } };
      o.xAxis = axis(t, { type: "category", data: d.metrics.map(function (m) { return m.name + " (n = " + m.count + ")"; }) });
      o.yAxis = durationAxis(t, d.metrics.map(function (m) { return m.max_seconds; }));
      o.series = [
        { id: "box", name: "Quartiles", type: "boxplot", itemStyle: { color: t.surface, borderColor: t.brand, borderWidth: 2 },
          data: d.metrics.map(function (m) {
            return m.count ? [logv(m.min_seconds), logv(m.q1_seconds), logv(m.median_seconds), logv(m.q3_seconds), logv(m.max_seconds)] : [];
          }) },
        { id: "p90", name: "p90", type: "scatter", symbol: "diamond", symbolSize: 12, itemStyle: { color: t.accent },
          data: d.metrics.map(function (m) { return logv(m.p90_seconds); }) }
      ];
      return o;
    },
    histogram: function (d, t) {
      var o = base(t);
      o.legend = { show: false };
      o.xAxis = axis(t, { type: "category", data: d.bins.map(function (b) { return b.label; }), axisLabel: { color: t.muted, interval: 0, rotate: 35 } });
      o.yAxis = axis(t, { type: "value", minInterval: 1, name: "incidents" });
      o.series = [{ id: "count", name: "Incidents", type: "bar", barCategoryGap: "8%", itemStyle: { color: t.brand },
        data: d.bins.map(function (b) { return b.count; }) }];
      return o;
    },
    trend: function (d, t) {
      var o = base(t);
      o.tooltip.valueFormatter = duration;
      o.xAxis = axis(t, { type: "category", data: d.months.map(function (m) { return m.month; }) });
      o.yAxis = durationAxis(t, d.months.map(function (m) { return m.p90_seconds; }));
      o.dataZoom = d.months.length > 48 ? [{ type: "inside" }] : [];
      o.series = [
        { id: "median", name: "Median", type: "line", showSymbol: d.months.length < 40, itemStyle: { color: t.brand },
          data: d.months.map(function (m) { return logv(m.median_seconds); }) },
        { id: "p90", name: "p90", type: "line", showSymbol: d.months.length < 40, lineStyle: { type: "dashed" }, itemStyle: { color: t.accent },
          data: d.months.map(function (m) { return logv(m.p90_seconds); }) }
      ];
      return o;
    },
    components: function (d, t, el) {
      var list = d[el.getAttribute("data-series")] || [];
      var impact = el.getAttribute("data-series") === "by_impact";
      var o = base(t);
      o.legend = { show: false };
      if (impact) o.tooltip.valueFormatter = duration;
      o.grid = { left: 8, right: 56, top: 8, bottom: 8, outerBoundsMode: "same", outerBoundsContain: "axisLabel" };
      o.yAxis = axis(t, { type: "category", inverse: true, data: list.map(function (c) { return c.name; }) });
      o.xAxis = impact ? linearDurationAxis(t, list.map(function (c) { return c.impact_seconds; })) : axis(t, { type: "value", minInterval: 1 });
      o.series = [{ id: impact ? "impact" : "incidents", name: impact ? "Impact time" : "Incidents", type: "bar", barMaxWidth: 22,
        itemStyle: { color: impact ? t.accent : t.brand },
        label: { show: true, position: "right", color: t.text, formatter: function (p) { return impact ? duration(p.value) : String(p.value); } },
        data: list.map(function (c) { return impact ? c.impact_seconds : c.incidents; }) }];
      return o;
    }
  };

  function draw(el) {
    var kind = el.getAttribute("data-chart");
    var build = builders[kind];
    if (!build || !el.__data) return;
    var chart = echarts.getInstanceByDom(el);
    if (!chart) {
      el.replaceChildren();
      chart = echarts.init(el, null, { renderer: "svg" });
    }
    chart.setOption(build(el.__data, theme(), el), true);
    el.setAttribute("data-rendered", "true");
  }

  function load(el) {
    fetch(el.getAttribute("data-src"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (data) {
        el.__data = data;
        draw(el);
      })
      .catch(function (err) {
        el.setAttribute("data-rendered", "error");
        el.setAttribute("data-error", String(err && err.message));
        var p = el.querySelector(".chart-fallback");
        if (p) p.textContent = "The chart could not be loaded (" + err.message + "); the table has every number.";
      });
  }

  var els = Array.prototype.slice.call(document.querySelectorAll("[data-chart]"));
  els.forEach(load);

  function redrawAll() { els.forEach(draw); }
  function resizeAll() {
    els.forEach(function (el) {
      var c = echarts.getInstanceByDom(el);
      if (c) c.resize();
    });
  }
  dark.addEventListener("change", redrawAll);
  reduce.addEventListener("change", redrawAll);
  window.addEventListener("resize", resizeAll);
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
})();
