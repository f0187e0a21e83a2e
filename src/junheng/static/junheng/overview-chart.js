// The home page's charts, each drawn only where the page has its element: the compliance of the user's subjects
// per rule (#compliance-rows), and schools, clusters and pairings per district (#district-rows).
(() => {
  const draw = (id, option) => {
    const element = document.getElementById(id);
    if (!element) return;
    const chart = echarts.init(element);
    chart.setOption(option(element));
    window.addEventListener("resize", () => chart.resize());
  };
  const colours = { pass: "#198754", fail: "#dc3545", at_risk: "#fd7e14", not_due: "#6c757d", no_data: "#adb5bd" };
  if (document.getElementById("compliance-rows")) {
    const data = JSON.parse(document.getElementById("compliance-rows").textContent);
    draw("compliance-chart", () => ({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: {},
      grid: { left: 8, right: 16, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: data.rules, inverse: true, axisLabel: { width: 260, overflow: "truncate" } },
      series: data.series.map((s) => ({
        name: s.label, type: "bar", stack: "all", data: s.data, itemStyle: { color: colours[s.status] },
      })),
    }));
  }
  if (document.getElementById("district-rows")) {
    const rows = JSON.parse(document.getElementById("district-rows").textContent);
    const series = (name, key) => ({ name, type: "bar", data: rows.map((r) => r[key]) });
    draw("district-chart", (element) => ({
      tooltip: { trigger: "axis" },
      legend: {},
      xAxis: { type: "category", data: rows.map((r) => r.name), axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value" },
      series: [series(element.dataset.schools, "schools"), series(element.dataset.clusters, "clusters"),
               series(element.dataset.pairings, "pairings")],
    }));
  }
})();
