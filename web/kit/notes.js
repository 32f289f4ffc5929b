// The notes above a view: problems in its link, divergence, engine errors, confirmations. Always
// text, never markup. Each note has a key; setting a key again replaces its note, null removes it.
//   const notes = createNotes(element, t);
//   notes.set('diverged', { kind: 'error', text: t('diverged'), action: { id, label, onClick } });
//   notes.setProblems(problems);   // from readParams: listed, dismissable
export function createNotes(root, t) {
  const notes = new Map();
  let problems = [];

  function box(kind, role) {
    const b = document.createElement('div');
    b.className = `note ${kind}`;
    b.setAttribute('role', role);
    return b;
  }
  function text(parent, tag, s) {
    const e = document.createElement(tag);
    e.textContent = s;
    parent.appendChild(e);
    return e;
  }
  function button(parent, label, onClick, id) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'text-button';
    if (id) b.id = id;
    b.textContent = label;
    b.onclick = onClick;
    parent.appendChild(b);
    return b;
  }

  function render() {
    root.replaceChildren();
    if (problems.length) {
      const b = box('warn', 'status');
      text(b, 'p', t('urlProblems'));
      const ul = document.createElement('ul');
      for (const pr of problems) {
        const value = String(pr.value).length > 80 ? `${String(pr.value).slice(0, 80)}…` : String(pr.value);
        text(
          ul,
          'li',
          pr.reason === 'unknown'
            ? t('urlProblemUnknown', { key: pr.key })
            : t('urlProblemInvalid', { key: pr.key, value }),
        );
      }
      b.appendChild(ul);
      button(b, t('dismiss'), () => {
        problems = [];
        render();
      });
      root.appendChild(b);
    }
    for (const n of notes.values()) {
      const b = box(n.kind ?? 'info', n.kind === 'error' ? 'alert' : 'status');
      text(b, 'p', n.text);
      if (n.action) button(b, n.action.label, n.action.onClick, n.action.id);
      root.appendChild(b);
    }
  }

  return {
    /** @param {string} key @param {{kind?: string, text: string, action?: {id?: string, label: string, onClick: () => void}} | null} note */
    set(key, note) {
      if (note) notes.set(key, note);
      else notes.delete(key);
      render();
    },
    get: (key) => notes.get(key),
    setProblems(list) {
      problems = [...list];
      render();
    },
    render,
  };
}
