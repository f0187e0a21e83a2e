// Downloads that take a while to make (a cluster's report, a list's export): a link marked data-download shows a
// spinner and what is happening (its data-busy text) until the file has arrived, then the browser saves it under
// the name the platform gave it. Should the platform answer with an error, the page of that error is shown.
(() => {
  const fileName = (header) => {
    const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header || "");
    if (encoded) return decodeURIComponent(encoded[1]);
    const plain = /filename="([^"]+)"/i.exec(header || "");
    return plain ? plain[1] : "";
  };
  document.addEventListener("click", async (event) => {
    const link = event.target.closest("a[data-download]");
    if (!link || link.getAttribute("aria-busy") === "true" || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const label = link.innerHTML;
    link.setAttribute("aria-busy", "true");
    link.classList.add("disabled");
    const spinner = document.createElement("span");
    spinner.className = "spinner-border spinner-border-sm me-1";
    spinner.setAttribute("aria-hidden", "true");
    link.replaceChildren(spinner, document.createTextNode(link.dataset.busy || ""));
    try {
      const response = await fetch(link.href, { credentials: "same-origin" });
      if (!response.ok) {
        window.location.assign(link.href);
        return;
      }
      const url = URL.createObjectURL(await response.blob());
      const save = document.createElement("a");
      save.href = url;
      save.download = fileName(response.headers.get("Content-Disposition"));
      document.body.append(save);
      save.click();
      save.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch {
      window.location.assign(link.href);
    } finally {
      link.innerHTML = label;
      link.removeAttribute("aria-busy");
      link.classList.remove("disabled");
    }
  });
})();
