// Charts of Debrief pages, drawn with the vendored ECharts from data the
// server renders into data-chart attributes (no inline script: CSP). Every
// chart has a table with the same numbers beside it.
(function () {
  "use strict";
  if (!window.echarts) return;

  function cssVar(name, fallback) {
    var v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return v || fallback;
  }

  function draw(el) {
    var data;
    try {
      data = JSON.parse(el.getAttribute("data-chart"));
    } catch (e) {
      return;
    }
    var text = cssVar("--text", "#17202b");
    var muted = cssVar("--muted", "#536070");
    var border = cssVar("--border", "#d9dfe7");
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: !reduced,
      textStyle: { fontFamily: cssVar("--font", "sans-serif"), color: text },
      grid: { left: 44, right: 16, top: 36, bottom: 40 },
      legend: { top: 0, textStyle: { color: text } },
      tooltip: { trigger: "axis" },
      xAxis: {
        type: "category", data: data.x, boundaryGap: false,
        axisLine: { lineStyle: { color: border } }, axisLabel: { color: muted, hideOverlap: true }
      },
      yAxis: {
        type: "value", name: data.y_name || "", minInterval: 1,
        nameTextStyle: { color: muted }, axisLabel: { color: muted },
        splitLine: { lineStyle: { color: border } }
      },
      series: (data.series || []).map(function (s) {
        var color = cssVar(s.color || "--brand", "#2549b8");
        return {
          name: s.name, type: "line", data: s.data, step: s.step ? "end" : false,
          symbol: "circle", symbolSize: 5, color: color,
          lineStyle: { width: 2, color: color },
          areaStyle: s.area ? { color: color, opacity: 0.12 } : undefined
        };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.setAttribute("data-rendered", "true");
  }

  function init() {
    var els = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < els.length; i++) draw(els[i]);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
