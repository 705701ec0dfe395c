// Small conveniences only; every page works without this script.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("q");
  // "/" jumps to the search box, as in most search pages.
  document.addEventListener("keydown", (event) => {
    const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
    if (event.key === "/" && !typing && box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });
  // On the home page the clerk came to search: put the cursor in the box.
  if (box && location.pathname === "/" && !box.value) {
    box.focus();
  }
  // A click on a corrected word keeps its alternatives open (hover is not available on touch screens).
  document.querySelectorAll(".corr").forEach((word) => {
    word.addEventListener("click", () => word.classList.toggle("open"));
  });
});
