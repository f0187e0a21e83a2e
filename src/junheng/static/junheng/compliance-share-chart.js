// A compliance run: the share of pairings that pass, by rule (data from #share-data, title from data-title).
(() => {
  const element = document.getElementById("share-chart");
  const share = JSON.parse(document.getElementById("share-data").textContent);
  echarts.init(element).setOption({
    title: { text: element.dataset.title, textStyle: { fontSize: 13 } },
    tooltip: {}, xAxis: { type: "category", data: share.map((r) => r.rule) }, yAxis: { type: "value", max: 100 },
    series: [{ type: "bar", color: "#198754", data: share.map((r) => r.pass), label: { show: true, position: "top" } }],
  });
})();
