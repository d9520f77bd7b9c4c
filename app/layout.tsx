import 'katex/dist/katex.min.css';
import './globals.css';
import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
import { TRPCReactProvider } from './_trpc/client';
import { SiteHeader } from './site-header';
import { THEME_COOKIE, parseTheme } from './theme';

export const metadata: Metadata = {
  title: '確認 Kakunin — E資格 深層学習 Day3・Day4 演習',
  description: 'JDLA E資格の深層学習後編（RNN〜物体検知）の確認テストと演習を、自動採点つきで。',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The learner's ライト/ダーク choice, rendered on <html> so no script has to run before the first paint.
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="ja" data-theme={theme === 'system' ? undefined : theme}>
      <body>
        <TRPCReactProvider>
          <SiteHeader theme={theme} />
          <main className="page">{children}</main>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
