'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { AccountMenu } from './account-menu';
import type { ThemeChoice } from './theme';
import { ThemeToggle } from './theme-toggle';

const LINKS = [
  { href: '/', label: '演習', current: (path: string) => path === '/' || path.startsWith('/sessions') },
  { href: '/review', label: '今日の復習', current: (path: string) => path.startsWith('/review') },
  { href: '/progress', label: '進捗', current: (path: string) => path.startsWith('/progress') },
];

/**
 * The site header. Wide screens show the menu inline; phones (globals.css, max-width 720px) show a メニュー
 * button that opens it below the header. It closes on navigation, Escape, or a tap outside.
 */
export function SiteHeader({ theme }: { theme: ThemeChoice }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const [shownPath, setShownPath] = useState(pathname);
  if (shownPath !== pathname) {
    setShownPath(pathname);
    setOpen(false);
  }
  const header = useRef<HTMLElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    const onPointer = (event: PointerEvent) => {
      if (event.target instanceof Node && !header.current?.contains(event.target)) setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  return (
    <header className="site-header" ref={header} data-menu-open={open}>
      <Link href="/" className="brand">
        <span className="brand-mark">確認</span> Kakunin
      </Link>
      <span className="tagline">E資格 深層学習 Day3・Day4</span>
      <button type="button" className="menu-button secondary" aria-expanded={open} aria-controls="site-menu" onClick={() => setOpen((o) => !o)}>
        <span className="menu-icon" aria-hidden />
        メニュー
      </button>
      <div id="site-menu" className="site-menu">
        <nav className="site-nav" aria-label="メニュー">
          {LINKS.map((l) => (
            <Link key={l.href} href={l.href} aria-current={l.current(pathname) ? 'page' : undefined}>
              {l.label}
            </Link>
          ))}
        </nav>
        <AccountMenu />
        <ThemeToggle initial={theme} />
      </div>
    </header>
  );
}
