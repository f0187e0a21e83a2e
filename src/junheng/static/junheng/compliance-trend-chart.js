// The compliance checks: findings per status, run by run (data from #trend-data, status names from #status-labels).
(() => {
  const trend = JSON.parse(document.getElementById("trend-data").textContent);
  const chart = echarts.init(document.getElementById("trend-chart"));
  const colours = {pass: "#198754", fail: "#dc3545", at_risk: "#fd7e14", not_due: "#6c757d", no_data: "#adb5bd"};
  const labels = JSON.parse(document.getElementById("status-labels").textContent);
  chart.setOption({
    tooltip: { trigger: "axis" }, legend: {},
    xAxis: { type: "category", data: trend.map((r) => r.run) }, yAxis: { type: "value" },
    series: Object.keys(labels).map((key) => ({ name: labels[key], type: "bar", stack: "all", color: colours[key], data: trend.map((r) => r[key]) })),
  });
})();
