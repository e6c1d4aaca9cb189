// The assessment page (a static file: the CSP allows no inline script): the countdown in the sticky
// timer, and before 交卷 a confirmation that lists the questions left blank. Without script the
// server answers 交卷 with the same confirmation, so this only saves a round trip.
(function () {
  var el = document.getElementById("time-left");
  var form = document.getElementById("attempt-form");
  if (!el || !form) { return; }
  var left = parseInt(el.dataset.seconds, 10) || 0;
  function tick() {
    el.textContent = left > 0 ? "剩余时间 " + Math.floor(left / 60) + " 分 " + (left % 60) + " 秒，超时提交不计分。"
                              : "已到时限，请立即交卷。";
    el.classList.toggle("low", left <= 60);
  }
  tick();
  setInterval(function () { left = Math.max(0, left - 1); tick(); }, 1000);

  function blanks() {
    var result = [];
    form.querySelectorAll("fieldset.question").forEach(function (fs) {
      var answered = fs.querySelector("input:checked") !== null;
      fs.classList.toggle("blank", !answered);
      if (!answered) { result.push(fs.dataset.position); }
    });
    return result;
  }

  function showConfirmation(list) {
    var box = document.getElementById("unanswered");
    if (box) { box.remove(); }
    box = document.createElement("div");
    box.id = "unanswered";
    box.className = "exam-confirm";
    box.setAttribute("role", "alert");
    box.tabIndex = -1;
    var h = document.createElement("h2");
    h.textContent = "还有 " + list.length + " 题未作答";
    box.appendChild(h);
    var p = document.createElement("p");
    p.appendChild(document.createTextNode("未作答："));
    list.forEach(function (pos, i) {
      var a = document.createElement("a");
      a.href = "#q" + pos;
      a.textContent = "第" + pos + "题";
      p.appendChild(a);
      if (i < list.length - 1) { p.appendChild(document.createTextNode("、")); }
    });
    p.appendChild(document.createTextNode("。未作答的题目按错误计分。"));
    box.appendChild(p);
    var p2 = document.createElement("p");
    p2.textContent = "可以继续作答后再交卷，或确认现在交卷。";
    box.appendChild(p2);
    var confirm = document.createElement("button");
    confirm.type = "submit";
    confirm.name = "confirm";
    confirm.value = "1";
    confirm.setAttribute("form", "attempt-form");
    confirm.textContent = "确认交卷";
    box.appendChild(confirm);
    form.parentNode.insertBefore(box, form);
    box.focus();
    box.scrollIntoView({block: "center"});
  }

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.name === "confirm" && submitter.value === "1") { return; }
    var list = blanks();
    if (list.length) {
      event.preventDefault();
      showConfirmation(list);
    }
  });
})();
