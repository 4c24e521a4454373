/*
 * The supervision board's chart: a stacked bar per unit (red / yellow / blue tasks),
 * for every <div class="qc-board-chart" data-source="ID" data-height="PX">, fed by the JSON of a
 * {{ chart|json_script:"ID" }} block:
 *
 *   {"categories": ["市质监局", …],
 *    "series": [{"key": "red", "name": "红色督办", "values": [2, …]}, …]}
 *
 * Names come from the page, already translated; this file holds no user-facing text.
 * Load it after echarts.min.js.
 */
(function () {
  "use strict";

  var COLOURS = { red: "#d63939", yellow: "#f59f00", blue: "#206bc4" };
  var REDUCED_MOTION =
    window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function option(data) {
    var series = data.series || [];
    return {
      animation: !REDUCED_MOTION,
      color: series.map(function (s) {
        return COLOURS[s.key] || "#667382";
      }),
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
      legend: { top: 0, itemWidth: 14, itemHeight: 10 },
      grid: { left: 8, right: 8, top: 36, bottom: 4, containLabel: true },
      xAxis: {
        type: "category",
        data: data.categories || [],
        axisTick: { alignWithLabel: true },
        axisLabel: {
          interval: 0,
          rotate: 45,
          fontSize: 11,
          formatter: function (name) {
            return name.length > 8 ? name.slice(0, 7) + "…" : name;
          }
        }
      },
      yAxis: {
        type: "value",
        minInterval: 1,
        splitLine: { lineStyle: { color: "#e6e7e9" } }
      },
      series: series.map(function (s) {
        return {
          type: "bar",
          name: s.name,
          stack: "colour",
          barMaxWidth: 22,
          emphasis: { focus: "series" },
          data: s.values || []
        };
      })
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
    el.style.height = (parseInt(el.dataset.height, 10) || 360) + "px";
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    // Marks the chart once drawn (animations included), for tests and screenshots.
    chart.on("finished", function () {
      el.dataset.chartReady = "1";
    });
    chart.setOption(option(JSON.parse(source.textContent)));
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".qc-board-chart"), init);
})();
