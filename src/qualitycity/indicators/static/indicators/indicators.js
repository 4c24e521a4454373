/*
 * Indicator trend charts (ECharts) for every <div class="qc-indicator-chart" data-source="ID">,
 * fed by the JSON of {{ chart|json_script:"ID" }}:
 *   {"labels": ["2014", …], "series": [{"name": "…", "values": [..], "kind": "value|benchmark"}],
 *    "unit": "%", "inverse": false, "target": {"value": 94, "name": "…"} | null}
 * data-compact="1" draws a sparkline without axes. Labels come from the page (translated); this
 * file holds no user-facing text. Load it after echarts.min.js.
 */
(function () {
  "use strict";

  var BLUE = "#206bc4";
  var GREY = "#8a94a6";
  var RED = "#d63939";

  function fmt(v, unit) {
    if (v === null || v === undefined) {
      return "—";
    }
    return unit ? v + (unit === "%" ? "%" : " " + unit) : String(v);
  }

  function bounds(data) {
    var all = [];
    data.series.forEach(function (s) {
      s.values.forEach(function (v) {
        if (v !== null) {
          all.push(v);
        }
      });
    });
    if (data.target) {
      all.push(data.target.value);
    }
    if (!all.length) {
      return {};
    }
    var lo = Math.min.apply(null, all);
    var hi = Math.max.apply(null, all);
    var pad = (hi - lo) * 0.15 || Math.abs(hi) * 0.05 || 1;
    // Bounds on a round step, so the axis's end labels read 87 and 94, not 87.93 and 93.78.
    var step = Math.pow(10, Math.floor(Math.log10(pad * 4)));
    return {
      min: Math.floor((lo - pad) / step) * step,
      max: Math.ceil((hi + pad) / step) * step
    };
  }

  function targetLine(data, compact) {
    if (!data.target) {
      return undefined;
    }
    return {
      silent: true,
      symbol: "none",
      lineStyle: { color: RED, type: "dashed", width: compact ? 1 : 1.5 },
      label: compact
        ? { show: false }
        : { show: true, position: "insideEndTop", color: RED, formatter: data.target.name },
      data: [{ yAxis: data.target.value }]
    };
  }

  function option(data, compact) {
    var range = bounds(data);
    var series = data.series.map(function (s, i) {
      var benchmark = s.kind === "benchmark";
      return {
        type: "line",
        name: s.name,
        data: s.values,
        connectNulls: true,
        smooth: false,
        symbol: compact ? "none" : "circle",
        symbolSize: 6,
        lineStyle: { width: compact ? 1.5 : 2, type: benchmark ? "dashed" : "solid" },
        itemStyle: { color: benchmark ? GREY : BLUE },
        areaStyle: compact && !benchmark ? { opacity: 0.08 } : undefined,
        label: {
          show: !compact && !benchmark,
          position: "top",
          fontSize: 11,
          formatter: function (p) {
            return data.unit === "%" ? p.value + "%" : String(p.value);
          }
        },
        markLine: i === 0 ? targetLine(data, compact) : undefined
      };
    });
    var yAxis = {
      type: "value",
      inverse: !!data.inverse,
      min: range.min === undefined ? undefined : Math.max(data.inverse ? 0 : -Infinity, range.min),
      max: range.max,
      show: !compact,
      scale: true,
      splitLine: { lineStyle: { color: "#e6e7e9" } },
      axisLabel: {
        formatter: function (v) {
          return Math.round(v * 100) / 100;
        }
      }
    };
    return {
      animation: !compact,
      grid: compact
        ? { left: 2, right: 2, top: 4, bottom: 4 }
        : { left: 8, right: 40, top: 36, bottom: 8, containLabel: true },
      tooltip: compact
        ? { show: false }
        : {
            trigger: "axis",
            valueFormatter: function (v) {
              return fmt(v, data.unit);
            }
          },
      legend: { show: !compact && data.series.length > 1, top: 0 },
      xAxis: { type: "category", data: data.labels, show: !compact, boundaryGap: false },
      yAxis: yAxis,
      series: series
    };
  }

  function init(el) {
    if (!window.echarts || window.echarts.getInstanceByDom(el)) {
      return;
    }
    var source = document.getElementById(el.dataset.source || "");
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.on("finished", function () {
      el.dataset.rendered = "1"; // drawn, animation included (tests and screenshots wait for it)
    });
    chart.setOption(option(data, el.dataset.compact === "1"));
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".qc-indicator-chart"), init);
})();
