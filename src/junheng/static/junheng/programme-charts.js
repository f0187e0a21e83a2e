// Programme statistics: on-site interactions per month by supported district (#chart-data) and online
// collaboration by activity (#online-data).
(() => {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  echarts.init(document.getElementById("interactions-chart")).setOption({
    tooltip: { trigger: "axis" }, legend: { type: "scroll" }, dataZoom: [{ type: "slider" }],
    xAxis: { type: "category", data: data.months }, yAxis: { type: "value" },
    series: data.series.map((s) => ({ name: s.name, type: "bar", stack: "all", data: s.data })),
  });
  const online = JSON.parse(document.getElementById("online-data").textContent);
  echarts.init(document.getElementById("online-chart")).setOption({
    tooltip: {}, xAxis: { type: "category", data: online.map((a) => a.name) }, yAxis: { type: "value" },
    series: [{ type: "bar", data: online.map((a) => a.value) }],
  });
})();
