/*
 * ECharts for every <div class="qc-chart" data-chart="radar|bar" data-source="ID">, fed by the
 * JSON of a {{ data|json_script:"ID" }} block. All labels come from the page (already translated);
 * this file holds no user-facing text. Load it after echarts.min.js.
 *
 *   radar: {"indicators": [{"name": "…", "max": 100}], "series": [{"name": "…", "values": [..]}],
 *           "suffix": "%"}
 *   bar:   {"categories": ["…"], "values": [..], "name": "…", "suffix": "…", "links": ["URL per bar"]}
 *
 * data-renderer="svg" draws vectors (sharp when printed); a bar chart with "links" opens the URL of the
 * bar clicked ("link": one URL for every bar). Charts are resized to the paper before printing.
 */
(function () {
  "use strict";

  var COLORS = ["#206bc4", "#f59f00", "#2fb344", "#d63939", "#ae3ec9"];

  function wrap(text, width) {
    var out = [];
    for (var i = 0; i < text.length; i += width) {
      out.push(text.slice(i, i + width));
    }
    return out.join("\n");
  }

  function withSuffix(value, suffix) {
    return value + (suffix || "");
  }

  function radarOption(data) {
    var indicators = data.indicators || [];
    return {
      color: COLORS,
      tooltip: { trigger: "item", confine: true },
      legend: { show: (data.series || []).length > 1, bottom: 0 },
      radar: {
        radius: "66%",
        center: ["50%", "52%"],
        indicator: indicators.map(function (ind) {
          return { name: ind.name, max: ind.max };
        }),
        axisName: {
          color: "#49566c",
          fontSize: 11,
          formatter: function (name) {
            return wrap(name, 9);
          }
        },
        splitArea: { areaStyle: { color: ["#f6f8fb", "#ffffff"] } }
      },
      series: [
        {
          type: "radar",
          symbolSize: 5,
          areaStyle: { opacity: 0.2 },
          label: {
            show: indicators.length <= 12,
            fontSize: 10,
            formatter: function (p) {
              return withSuffix(p.value, data.suffix);
            }
          },
          data: (data.series || []).map(function (s) {
            return { name: s.name, value: s.values };
          })
        }
      ]
    };
  }

  function barOption(data) {
    return {
      color: COLORS,
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        valueFormatter: function (v) {
          return withSuffix(v, data.suffix);
        }
      },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", splitLine: { lineStyle: { color: "#e6e7e9" } } },
      yAxis: {
        type: "category",
        inverse: true,
        data: data.categories || [],
        axisLabel: {
          fontSize: 11,
          formatter: function (name) {
            return name.length > 12 ? name.slice(0, 11) + "…" : name;
          }
        }
      },
      series: [
        {
          type: "bar",
          name: data.name,
          data: data.values || [],
          barMaxWidth: 18,
          label: { show: true, position: "right", fontSize: 10 }
        }
      ]
    };
  }

  var BUILDERS = { radar: radarOption, bar: barOption };
  var REDUCED_MOTION =
    window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function init(el) {
    if (!window.echarts || window.echarts.getInstanceByDom(el)) {
      return;
    }
    var builder = BUILDERS[el.dataset.chart];
    var source = document.getElementById(el.dataset.source || "");
    if (!builder || !source) {
      return;
    }
    if (el.clientHeight < 50) {
      el.style.height = (parseInt(el.dataset.height, 10) || 360) + "px";
    }
    var chart = window.echarts.init(el, null, {
      renderer: el.dataset.renderer === "svg" ? "svg" : "canvas"
    });
    var data = JSON.parse(source.textContent);
    var option = builder(data);
    if (data.link || data.links) {
      chart.on("click", function (params) {
        var target = data.links ? data.links[params.dataIndex] : data.link;
        if (target) {
          window.location.href = target;
        }
      });
    }
    option.animation = !REDUCED_MOTION;
    // Marks the chart once drawn (animations included), for tests and screenshots.
    chart.on("finished", function () {
      el.dataset.chartReady = "1";
    });
    chart.setOption(option);
    window.addEventListener("resize", function () {
      chart.resize();
    });
    window.addEventListener("beforeprint", function () {
      chart.resize();
    });
    window.addEventListener("afterprint", function () {
      chart.resize();
    });
    if (window.matchMedia) {
      var print = window.matchMedia("print");
      if (print.addEventListener) {
        print.addEventListener("change", function () {
          chart.resize();
        });
      }
    }
  }

  function initAll(root) {
    if (root && root.matches && root.matches(".qc-chart")) {
      init(root);
    }
    var nodes = (root || document).querySelectorAll(".qc-chart");
    Array.prototype.forEach.call(nodes, init);
  }

  initAll(document);
  // Charts inside content that htmx swaps in later.
  document.addEventListener("htmx:load", function (event) {
    initAll(event.target);
  });
})();
