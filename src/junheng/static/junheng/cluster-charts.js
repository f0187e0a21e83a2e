// The cluster evaluation page, for one cluster: its schools' means with spread, pass shares against the district and
// value added (data from #school-data, titles from each chart element's data-title).
(() => {
  const data = JSON.parse(document.getElementById("school-data").textContent);
  const names = data.schools.map((s) => s.name);
  const axis = { type: "category", data: names, axisLabel: { interval: 0, rotate: 30, fontSize: 10 } };
  const means = document.getElementById("means-chart");
  echarts.init(means).setOption({
    title: { text: means.dataset.title, textStyle: { fontSize: 13 } },
    tooltip: { trigger: "axis" }, xAxis: axis, yAxis: { type: "value", scale: true },
    series: [
      { type: "bar", stack: "spread", itemStyle: { color: "transparent" }, data: data.schools.map((s) => +(s.mean - s.sd).toFixed(1)), tooltip: { show: false } },
      { type: "bar", stack: "spread", itemStyle: { color: "#9ec5fe" }, data: data.schools.map((s) => +(2 * s.sd).toFixed(1)), name: "± sd" },
      { type: "scatter", color: "#0d6efd", data: data.schools.map((s) => +s.mean.toFixed(1)), name: means.dataset.meanLabel },
    ],
  });
  const pass = document.getElementById("pass-chart");
  echarts.init(pass).setOption({
    title: { text: pass.dataset.title, textStyle: { fontSize: 13 } },
    tooltip: {}, xAxis: axis, yAxis: { type: "value", max: 100 },
    series: [{ type: "bar", color: "#198754", data: data.schools.map((s) => +(100 * s.pass_share).toFixed(1)),
      markLine: data.district_pass_share === null ? undefined : { symbol: "none", label: { formatter: `${pass.dataset.districtLabel} {c}%` },
        data: [{ yAxis: +(100 * data.district_pass_share).toFixed(1) }] } }],
  });
  const valueAdded = document.getElementById("value-added-chart");
  echarts.init(valueAdded).setOption({
    title: { text: valueAdded.dataset.title, textStyle: { fontSize: 13 } },
    tooltip: {}, xAxis: axis, yAxis: { type: "value" },
    series: [{ type: "bar", data: data.schools.map((s) => ({ value: s.value_added === null ? null : +s.value_added.toFixed(2),
      itemStyle: { color: (s.value_added || 0) >= 0 ? "#198754" : "#dc3545" } })) }],
  });
})();
