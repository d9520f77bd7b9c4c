import 'katex/dist/katex.min.css';
import './globals.css';
import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { TRPCReactProvider } from './_trpc/client';
import { AccountMenu } from './account-menu';

export const metadata: Metadata = {
  title: '確認 Kakunin — E資格 深層学習 Day3・Day4 演習',
  description: 'JDLA E資格の深層学習後編（RNN〜物体検知）の確認テストと演習を、自動採点つきで。',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="ja">
      <body>
        <TRPCReactProvider>
          <header className="site-header">
            <Link href="/" className="brand">
              <span className="brand-mark">確認</span> Kakunin
            </Link>
            <span className="tagline">E資格 深層学習 Day3・Day4</span>
            <nav className="site-nav" aria-label="メニュー">
              <Link href="/">演習</Link>
              <Link href="/review">今日の復習</Link>
              <Link href="/progress">進捗</Link>
              <AccountMenu />
            </nav>
          </header>
          <main className="page">{children}</main>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
