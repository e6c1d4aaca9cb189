// The assessment's countdown (a static file: the CSP allows no inline script).
(function () {
  var el = document.getElementById("time-left"), left = parseInt(el.dataset.seconds, 10);
  setInterval(function () {
    left = Math.max(0, left - 1);
    el.textContent = left > 0 ? "剩余时间 " + Math.floor(left / 60) + " 分 " + (left % 60) + " 秒，超时提交不计分。" : "已到时限。";
  }, 1000);
})();
