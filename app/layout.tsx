import 'katex/dist/katex.min.css';
import './globals.css';
import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { TRPCReactProvider } from './_trpc/client';

export const metadata: Metadata = {
  title: '確認 Kakunin — E資格 深層学習 Day3・Day4 演習',
  description: 'JDLA E資格の深層学習後編（RNN〜物体検知）の確認テストと演習を、自動採点つきで。',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="ja">
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            <span className="brand-mark">確認</span> Kakunin
          </Link>
          <span className="tagline">E資格 深層学習 Day3・Day4</span>
        </header>
        <main className="page">
          <TRPCReactProvider>{children}</TRPCReactProvider>
        </main>
      </body>
    </html>
  );
}
